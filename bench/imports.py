"""The Blogger import, measured in fresh processes (``python -m warta.devtools.import_bench``)."""

import json
import subprocess
import sys
import time

from bench.servers import ROOT


def import_bench(deadline):
    """The Blogger import at 1,000 posts / 10,000 comments, then at 10,000 / 100,000 when the
    first run says it fits before ``deadline`` (the same peak memory at both shows it flat)."""
    runs, note = [], ""
    for posts, comments in ((1_000, 10_000), (10_000, 100_000)):
        left = deadline - time.monotonic()
        if runs and runs[-1]["seconds"] * posts / runs[-1]["posts"] * 1.5 > left:
            note = f"{posts} posts / {comments} comments skipped: would not fit the time budget"
            break
        try:
            output = subprocess.run(
                [sys.executable, "-m", "warta.devtools.import_bench", "--posts", str(posts)]
                + ["--comments", str(comments)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=max(left, 30),
                check=True,
            )
        except (subprocess.SubprocessError, OSError) as error:
            note = f"{posts} posts / {comments} comments failed: {error}"
            break
        runs.append(json.loads(output.stdout))
    return {"runs": runs, "note": note}
