// ReloadRules through the real CLI against the real daemon: a valid pack is
// put in force, an invalid one is rejected with file:line:column and the
// pack in force stays.
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <memory>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "integration/process.h"
#include "redaction_audit/v1/audit_service.grpc.pb.h"
#include "testing/testing.h"

namespace ra::testing {
namespace {

namespace v1 = ::redaction_audit::v1;
using ::testing::HasSubstr;

class ReloadRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    rules_ = MakeTempDir();
    Write("pack.textproto", "imports: \"" + SourcePath("rules/state/pack.textproto") +
                                "\"\nname: \"case-pack\"\nversion: \"1\"\n");
    daemon_ = std::make_unique<Daemon>(dir_, std::vector<std::string>{"--rules=" + rules_});
    ASSERT_TRUE(daemon_->WaitReady()) << daemon_->log();
    stub_ = v1::AuditService::NewStub(
        grpc::CreateChannel(daemon_->address(), grpc::InsecureChannelCredentials()));
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(rules_ + "/" + name) << text;
  }

  CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), CliBinary());
    return RunCommand(args, {"REDACTION_AUDIT_SERVER=" + daemon_->address()});
  }

  std::string PackInForce() {
    v1::ListRulesResponse response;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub_->ListRules(&ctx, v1::ListRulesRequest(), &response).ok());
    return response.pack();
  }

  std::string dir_, rules_;
  std::unique_ptr<Daemon> daemon_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

TEST_F(ReloadRulesTest, ValidPackReplacesInvalidPackIsRejectedWithLocation) {
  EXPECT_EQ(PackInForce(), "case-pack@1");

  Write("pack.textproto", "imports: \"" + SourcePath("rules/state/pack.textproto") +
                              "\"\nname: \"case-pack\"\nversion: \"2\"\n");
  CommandResult ok = Cli({"admin", "reload-rules"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("case-pack@2"));
  EXPECT_EQ(PackInForce(), "case-pack@2");

  Write("zz-custom.textproto",
        "version: \"3\"\npatterns {\n  id: \"custom.bad\"\n  pattern: \"(unclosed\"\n}\n");
  CommandResult bad = Cli({"admin", "reload-rules"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr(rules_ + "/zz-custom.textproto:4:3: invalid RE2 pattern"));
  EXPECT_EQ(PackInForce(), "case-pack@2");  // still in force

  // The rpc directly: INVALID_ARGUMENT.
  v1::ReloadRulesResponse response;
  grpc::ClientContext ctx;
  grpc::Status status = stub_->ReloadRules(&ctx, v1::ReloadRulesRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // SIGHUP with the same bad pack: logged, still in force.
  ASSERT_EQ(kill(daemon_->pid(), SIGHUP), 0);
  for (int i = 0; i < 50 && daemon_->log().find("rules_reload_failed reason") ==
                                std::string::npos; ++i) {
    usleep(100000);
  }
  EXPECT_THAT(daemon_->log(), HasSubstr("zz-custom.textproto:4:3"));
  EXPECT_EQ(PackInForce(), "case-pack@2");
}

}  // namespace
}  // namespace ra::testing
