#!/usr/bin/env bash
# Sums the Surefire/Failsafe XML reports of every module: one line per report folder and a total.
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
total = [0, 0, 0, 0]
for folder in sorted(glob.glob("**/target/surefire-reports", recursive=True) + glob.glob("**/target/failsafe-reports", recursive=True)):
    counts = [0, 0, 0, 0]
    for path in glob.glob(folder + "/TEST-*.xml"):
        root = ET.parse(path).getroot()
        for i, key in enumerate(("tests", "failures", "errors", "skipped")):
            counts[i] += int(root.get(key, 0))
    total = [a + b for a, b in zip(total, counts)]
    print("%-55s tests=%-5d failures=%-3d errors=%-3d skipped=%d" % (folder, *counts))
print("TOTAL tests=%d failures=%d errors=%d skipped=%d" % tuple(total))
PY
