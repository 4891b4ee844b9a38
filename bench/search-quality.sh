#!/usr/bin/env bash
# Search quality on questions in the ALQAC format: each question is asked
# through `chancery search --match any --kind article` of a demo node whose
# legal database holds the ALQAC corpus (data/legal-vi/alqac, loaded with
# `chancery legal import`), on SQLite and on PostgreSQL (a private server
# of scripts/pg.sh). A question is answered at rank k when one of its
# relevant articles (law, article number) is among the first k hits.
# Prints one JSON line per backend, then, as its last line, the SQLite
# (embedded default) figures: {"questions":N,"R@1":…,"R@5":…,"R@10":…,"MRR@10":…}.
#
#   bash bench/search-quality.sh data/legal-vi/alqac/alqac2025_dev_questions.json
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
questions=$(cd "$(dirname "${1:?QUESTIONS.json}")" && pwd)/$(basename "$1")
cd "$root"
BUILD=${BUILD:-build}
cmake --build "$BUILD" --target chancery >/dev/null
bin=$root/$BUILD/src/app/chancery
corpus=$root/data/legal-vi/alqac/alqac2024_law.json

work=$(mktemp -d)
chmod 755 "$work"  # the PostgreSQL server may run as another user
cleanup() {
  bash scripts/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# One query a line (newlines inside a question become spaces).
python3 -c '
import json, sys
for q in json.load(open(sys.argv[1])):
    print(" ".join(q["text"].split()))
' "$questions" > "$work/queries.txt"

measure() {  # backend node-folder
  "$bin" demo "$2" >/dev/null
  "$bin" legal import "$2" "$corpus" >/dev/null
  "$bin" search "$2" --as chuyenvien --lines --match any --kind article --limit 10 \
    < "$work/queries.txt" > "$work/$1.hits"
  python3 - "$questions" "$work/$1.hits" "$1" <<'PY'
import json, sys
questions = json.load(open(sys.argv[1]))
answers = open(sys.argv[2], encoding="utf-8").read().split("\n\n")
n = len(questions)
hits = {1: 0, 5: 0, 10: 0}
mrr = 0.0
for q, block in zip(questions, answers):
    relevant = {(a["law_id"], "Điều " + a["article_id"]) for a in q["relevant_articles"]}
    ranked = [tuple(line.split("\t")[2:4]) for line in block.split("\n") if line]
    rank = next((i + 1 for i, r in enumerate(ranked[:10]) if r in relevant), None)
    for k in hits:
        hits[k] += rank is not None and rank <= k
    mrr += 1.0 / rank if rank else 0.0
out = {"questions": n, "R@1": round(hits[1] / n, 4), "R@5": round(hits[5] / n, 4),
       "R@10": round(hits[10] / n, 4), "MRR@10": round(mrr / n, 4)}
print(json.dumps({"backend": sys.argv[3], **out}, ensure_ascii=False))
PY
}

"$bin" init "$work/sqlite" >/dev/null
sqlite_line=$(measure sqlite "$work/sqlite")
conninfo=$(bash scripts/pg.sh start "$work/pg" | tail -1)
"$bin" init "$work/postgres" --db "$conninfo" >/dev/null
postgres_line=$(measure postgres "$work/postgres")
echo "$sqlite_line"
echo "$postgres_line"
echo "$sqlite_line" | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("backend"); print(json.dumps(d))'
