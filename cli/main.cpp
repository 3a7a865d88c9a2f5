// main.cpp — argv -> run_cli (everything else lives in the vramcalc_cli library).
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"

int main(int argc, char** argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return vramcalc::run_cli(args, std::cout, std::cerr);
}
