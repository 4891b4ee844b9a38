#include "modules/search/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace chancery::search {

using services::Actor;
using services::Fail;
using services::SearchService;

namespace {

void PrintHits(const services::SearchResult& r) {
  for (const auto& s : r.items) {
    std::cout << s.hit.kind << "\t" << s.hit.ref_id << "\t" << s.hit.number_symbol << "\t"
              << s.article_label << "\t" << s.hit.title << "\n";
  }
}

}  // namespace

void AddCommands(services::Commands& c, services::ServiceOf<SearchService> service) {
  struct Options {
    std::string q, match = "all", kind;
    int limit = 10;
    bool lines = false;
    std::vector<std::string> files;
  };
  auto o = std::make_shared<Options>();
  CLI::App* search =
      c.Add(&c.app(), "search",
            "Search what a person may read (tab-separated: kind, id, number, label, title)", true,
            service, [o](SearchService& s, const Actor* a) {
              services::SearchInput in;
              in.match_all = o->match != "any";
              in.limit = o->limit;
              in.facets = false;
              if (!o->kind.empty()) in.kinds = {o->kind};
              if (!o->lines) {
                in.q = o->q;
                auto r = s.Search(*a, in);
                if (!r.ok()) return Fail(r.error());
                PrintHits(*r);
                return 0;
              }
              // One query a line; each answer ends with an empty line.
              for (std::string line; std::getline(std::cin, line);) {
                in.q = line;
                auto r = s.Search(*a, in);
                if (r.ok()) PrintHits(*r);
                std::cout << "\n" << std::flush;
              }
              return 0;
            });
  search->add_option("query", o->q, "what to look for");
  search->add_option("--match", o->match, "all (every word, the default) or any (ranked)");
  search->add_option("--kind", o->kind, "document, legal or article");
  search->add_option("--limit", o->limit, "hits to print (1 to 100)");
  search->add_flag("--lines", o->lines, "read one query a line from standard input");

  c.Add(c.Group("index", "The search index"), "rebuild",
        "Index every stored document again (after data was loaded behind the node's back)", false,
        service, [](SearchService& s, const Actor*) {
          auto r = s.ReindexDocuments(services::ConsoleOperator());
          if (!r.ok()) return Fail(r.error());
          std::cout << *r << " documents indexed\n";
          return 0;
        });

  CLI::App* legal = c.Group("legal", "The legal-documents database");
  CLI::App* import = c.Add(legal, "import", "Import legal documents: each file in one transaction",
                           false, service, [o](SearchService& s, const Actor*) {
                             int failed = 0;
                             for (const auto& f : o->files) {
                               const std::string bytes = services::ReadFile(f);
                               const std::string name = f.substr(f.find_last_of('/') + 1);
                               auto r = s.ImportLegal(services::ConsoleOperator(), name, bytes);
                               if (!r.ok()) {
                                 Fail(r.error());
                                 ++failed;
                                 continue;
                               }
                               std::cout << name << ": " << r->documents << " documents, "
                                         << r->articles << " articles\n";
                             }
                             return failed == 0 ? 0 : 1;
                           });
  import
      ->add_option("files", o->files,
                   "ALQAC JSON, this project's JSON or CSV, a procedure's JSON, text")
      ->required();
}

}  // namespace chancery::search
