// redaction-audit: the command-line client of redaction-auditd.
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "util/runtime.h"

namespace {

using ra::cli::Command;

const Command kCommands[] = {
    {"audit", "PATH... [--case C] [--manifest FILE.csv] [--release NAME] "
              "[--fail-on info|warning|error] [--format table|json] "
              "[--request-date YYYY-MM-DD]",
     "audit files and folders, streamed to the daemon", ra::cli::AuditOptions,
     ra::cli::RunAudit},
    {"inspect", "FILE... [--format json|table] [--case C]",
     "show what the parser sees and what the rules say; stores nothing",
     ra::cli::InspectOptions, ra::cli::RunInspect},
    {"findings",
     "[--case C] [--release R] [--document D] [--rule ID] [--severity S] "
     "[--status S] [--limit N] [--format table|json|csv] [--fail-on S]",
     "list stored findings", ra::cli::FindingsOptions, ra::cli::RunFindings},
    {"review", "ID --status confirmed|waived|false-positive|open [--note TEXT] "
               "[--reviewer NAME] [--etag N]",
     "record a review decision on a finding", ra::cli::ReviewOptions,
     ra::cli::RunReview},
    {"history", "ID [--format table|json]",
     "every status change of a finding: reviewer, time, note",
     ra::cli::HistoryOptions, ra::cli::RunHistory},
    {"check", "PATH... [--case C] [--manifest FILE.csv] [--release NAME] "
              "[--fail-on info|warning|error] [--baseline FILE] "
              "[--write-baseline FILE] [--sarif FILE] [--junit FILE] "
              "[--markdown FILE] [--html FILE] [--quiet]",
     "CI gate: audit, wait, summarize, write reports; reviewed or baselined "
     "findings do not fail", ra::cli::CheckOptions, ra::cli::RunCheck},
    {"report", "--case C [--release R] [--format table|json|csv|sarif|junit|"
               "markdown|html] [--output FILE] [--baseline FILE] [--fail-on S]",
     "report on a case: summary (table, json) or every finding (other formats)",
     ra::cli::ReportOptions, ra::cli::RunReport},
    {"rules", "[--format table|json]", "list the rules of the pack in force",
     ra::cli::RulesOptions, ra::cli::RunRules},
    {"admin", "backup FILE | reload-rules | suppress FINGERPRINT --reason TEXT | "
              "unsuppress FINGERPRINT | suppressions",
     "online database backup to FILE on the daemon's host; reload the rule "
     "pack; manage suppressions by fingerprint",
     ra::cli::AdminOptions, ra::cli::RunAdmin},
    {"crosscheck", "--case C [--format table|json]",
     "compare every stored document of a case with the others (withheld "
     "here, released there); exits 1 when inconsistencies are found",
     ra::cli::CrossCheckOptions, ra::cli::RunCrossCheck},
};

void PrintUsage(std::ostream& out) {
  out << "usage: redaction-audit COMMAND [ARGS] [--server ADDRESS]\n\n"
         "commands:\n";
  for (const Command& c : kCommands) {
    out << "  " << c.name << " " << c.usage << "\n      " << c.summary << "\n";
  }
  out << "\nEvery command takes --server ADDRESS, --tls-ca FILE, --tls-cert FILE, "
         "--tls-key FILE\nand --token-file FILE (or $REDACTION_AUDIT_TLS_CA, "
         "$REDACTION_AUDIT_TLS_CERT,\n$REDACTION_AUDIT_TLS_KEY, "
         "$REDACTION_AUDIT_TOKEN).\n";
  out << "\n--server defaults to $REDACTION_AUDIT_SERVER, else the daemon's "
         "default unix socket.\nExit codes: 0 clean, 1 findings at or above "
         "--fail-on (default error) or documents rejected, 2 usage or "
         "connection error.\n";
}

}  // namespace

int main(int argc, char** argv) {
  ra::UseReleaseMutexSettings();
  if (argc < 2) {
    PrintUsage(std::cerr);
    return ra::cli::kExitUsage;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(std::cout);
    return ra::cli::kExitClean;
  }
  for (const Command& c : kCommands) {
    if (name != c.name) continue;
    ra::cli::OptionSpec spec = c.options();
    ra::cli::OptionSpec common = ra::cli::CommonOptions();
    spec.valued.insert(common.valued.begin(), common.valued.end());
    spec.flags.insert(common.flags.begin(), common.flags.end());
    auto args = ra::cli::ParseArgs(std::vector<std::string>(argv + 2, argv + argc), spec);
    if (!args.ok()) {
      return ra::cli::Fail(std::string(args.status().message()) +
                           "\nusage: redaction-audit " + c.name + " " + c.usage);
    }
    if (args->Flag("help")) {
      std::cout << "usage: redaction-audit " << c.name << " " << c.usage << "\n"
                << c.summary << "\n";
      return ra::cli::kExitClean;
    }
    absl::Status security = ra::cli::ConfigureConnection(*args);
    if (!security.ok()) return ra::cli::Fail(std::string(security.message()));
    return c.run(*args);
  }
  return ra::cli::Fail("unknown command \"" + name + "\" (try redaction-audit --help)");
}
