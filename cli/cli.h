// cli.h — the `vramcalc` command as a library function, so tests run it in-process.
//
//   vramcalc estimate [options] [--format text|md|csv|json] [--explain]   one configuration
//   vramcalc grid     [options] [--rule seed-000|seed-001|seed-002] [--models a,b | --sizes 7B,13B]
//   vramcalc models | gpus [--format ...]                                  the catalogs
//   vramcalc seeds    [--format ...]                                       the articles' worked figures
//
// Exit codes: 0 done; 2 the input is wrong (unknown id, broken config.json, impossible
// combination, bad value): exactly one line on `err` saying what and what would be valid.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace vramcalc {

// args: the command line without the program name (argv[1..]).
int run_cli(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace vramcalc
