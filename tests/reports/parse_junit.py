#!/usr/bin/env python3
"""Parses the JUnit reports back: a testcase per document, failures where
findings fail, the counts in the attributes matching the testcases.
    tests/reports/parse_junit.py OUT_DIR"""
import sys
import xml.etree.ElementTree as ET

out = sys.argv[1]
counts = dict(line.strip().split("=", 1) for line in open(f"{out}/counts.env") if "=" in line)
documents = int(counts["documents"])

for name in ("check.xml", "report.xml"):
    root = ET.parse(f"{out}/{name}").getroot()
    assert root.tag == "testsuites", root.tag
    cases = root.findall("./testsuite/testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    errors = [c for c in cases if c.find("error") is not None]
    assert int(root.get("tests")) == len(cases), (root.get("tests"), len(cases))
    assert int(root.get("failures")) == len(failures)
    assert int(root.get("errors")) == len(errors) == 0
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
    names = [c.get("name") for c in cases]
    assert len(set(names)) == len(names), "one testcase per document"
    assert all(n.startswith("C") for n in names), names[:5]
    assert failures, "the sample release has failing findings"
    # check.xml fails on errors (the default), report.xml on warnings.
    levels = ("error ",) if name == "check.xml" else ("error ", "warning ")
    for c in failures:
        text = c.find("failure").text
        assert text.startswith(levels) and "/findings/" in text, text
    if name == "check.xml":
        # check knows every submitted document, findings or not.
        assert len(cases) == documents, (len(cases), documents)
        assert all(c.get("file", "").endswith(".txt") for c in cases)
        suites = {s.get("name") for s in root.findall("testsuite")}
        assert "HRCEmail_JuneWeb" in suites, suites
    else:
        # The reviewed findings are listed, not failing.
        out_text = "".join(c.findtext("system-out") or "" for c in cases)
        assert "waived" in out_text and "false-positive" in out_text
    print(f"{name}: {len(cases)} testcases, {len(failures)} failing")
print("PASS")
