# What the bench scripts share for bench/RESULTS.md. Source it (bash); it needs /usr/bin/python3.
#
# A script's section in RESULTS.md runs from a line starting `<!-- NAME:begin` to the line
# `<!-- NAME:end -->`; the script owns it and rewrites it whole on every run.

# replace_results_section NAME SECTION RESULTS: puts the file SECTION (the whole section, markers
# included) in place of section NAME of the file RESULTS, or at its end when it has none yet.
replace_results_section() {
  /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import re, sys
name, section, results = sys.argv[1], open(sys.argv[2]).read().rstrip("\n") + "\n", sys.argv[3]
text = open(results).read()
pattern = re.compile(r"<!-- " + re.escape(name) + r":begin.*?<!-- " + re.escape(name) + r":end -->\n?", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(results, "w").write(text)
PY
}
