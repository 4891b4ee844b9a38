#include "modules/signatures/cli.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "lib/http/openapi.h"

namespace chancery::signatures {

using services::Actor;
using services::Fail;
using services::SignatureService;

namespace {

struct PkiOptions {
  std::string name, reason, pin_env, serial;
  Id user = 0, unit = 0;
  int days = 730;
  std::string file, data;
};

int Issue(SignatureService& s, const Actor& actor, const PkiOptions& o) {
  services::CertificateInput in;
  in.profile = o.unit ? "organization" : "person";
  if (o.user) in.user_id = o.user;
  if (o.unit) in.unit_id = o.unit;
  in.days = o.days;
  if (!o.pin_env.empty()) {
    const char* pin = std::getenv(o.pin_env.c_str());
    if (!pin) {
      return Fail(Error::Invalid("--pin-env", "unset", "That environment variable is not set."));
    }
    in.pin = pin;
  }
  auto r = s.IssueCertificate(actor, in);
  if (!r.ok()) return Fail(r.error());
  std::cout << r->serial << "\t" << r->profile << "\t" << r->subject << "\n";
  return 0;
}

int Verify(SignatureService& s, const Actor& actor, const PkiOptions& o) {
  services::VerifyInput in;
  in.file = services::ReadFile(o.file);
  if (!o.data.empty()) in.detached_data = services::ReadFile(o.data);
  auto r = s.VerifyFile(actor, in);
  if (!r.ok()) return Fail(r.error());
  std::cout << http::PrettyJson(boost::json::parse(*r));
  auto indication = boost::json::parse(*r).as_object().at("indication").as_string();
  return indication == "TOTAL_PASSED" ? 0 : 3;
}

}  // namespace

void AddCommands(services::Commands& c, services::ServiceOf<services::SignatureService> service) {
  auto o = std::make_shared<PkiOptions>();
  CLI::App* pki = c.Group("pki", "Certificates: the node CA, persons' and seals' certificates");
  CLI::App* init = c.Add(
      pki, "init-ca", "Create the node CA (and its signing and TSA certificates)", true, service,
      [o](SignatureService& s, const Actor* a) {
        services::CaInput in;
        in.common_name = o->name;
        auto r = s.CreateNodeCa(*a, in);
        if (!r.ok()) return Fail(r.error());
        std::cout << "node CA " << r->serial << "\t" << r->subject << "\n" << r->certificate_pem;
        return 0;
      });
  init->add_option("--name", o->name, "the CA's common name");
  CLI::App* issue =
      c.Add(pki, "issue", "Issue a certificate to a person (--user) or a unit's seal (--unit)",
            true, service, [o](SignatureService& s, const Actor* a) { return Issue(s, *a, *o); });
  issue->add_option("--user", o->user);
  issue->add_option("--unit", o->unit);
  issue->add_option("--days", o->days);
  issue->add_option("--pin-env", o->pin_env,
                    "environment variable holding the person's first signing PIN");
  c.Add(pki, "list", "List certificates", true, service, [](SignatureService& s, const Actor* a) {
    auto r = s.ListCertificates(*a, {});
    if (!r.ok()) return Fail(r.error());
    for (const auto& cert : *r) {
      std::cout << cert.serial << "\t" << cert.profile << "\t" << cert.status << "\t"
                << cert.subject << "\t" << FormatVietnamTime(cert.not_after) << "\n";
    }
    return 0;
  });
  CLI::App* revoke = c.Add(pki, "revoke", "Revoke a certificate", true, service,
                           [o](SignatureService& s, const Actor* a) {
                             auto r = s.RevokeCertificate(*a, o->serial, o->reason);
                             if (!r.ok()) return Fail(r.error());
                             std::cout << r->serial << " revoked\n";
                             return 0;
                           });
  revoke->add_option("--serial", o->serial)->required();
  revoke->add_option("--reason", o->reason)->required();
  c.Add(pki, "crl", "Print the node CA's current CRL (PEM)", false, service,
        [](SignatureService& s, const Actor*) {
          auto r = s.CurrentCrl();
          if (!r.ok()) return Fail(r.error());
          std::cout << *r;
          return 0;
        });
  CLI::App* verify =
      c.Add(&c.app(), "verify",
            "Validation report (JSON) of a signed PDF, or a CMS signature with --data", true,
            service, [o](SignatureService& s, const Actor* a) { return Verify(s, *a, *o); });
  verify->add_option("file", o->file)->required();
  verify->add_option("--data", o->data, "the file a detached CMS signature signs");
}

}  // namespace chancery::signatures
