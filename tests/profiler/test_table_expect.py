"""The printed tables of a real profile, pinned with timings normalised (times -> T, percentages -> P)."""
import re

import expecttest

import tritongrad as tg
from tritongrad.autograd import profiler


def _normalise(table):
    """Keep the frame, headers, names, counts, shapes and memory; replace every measured number."""
    lines = table.split("\n")
    rule = next(line for line in lines if line.startswith("-"))
    widths = [len(group) for group in rule.split("  ") if group]
    out = []
    for line in lines:
        if line.startswith("Self CPU time total: "):
            out.append(re.sub(r"[\d.]+(us|ms|s)$", "T", line))
            continue
        if not line or line.startswith("-") or line.startswith("="):
            out.append(line)
            continue
        cells, position = [], 0
        for width in widths:
            cell = line[position:position + width]
            position += width + 2
            value = cell.strip()
            if re.fullmatch(r"-?\d+\.\d{3}(us|ms|s)", value):
                value = "T"
            elif re.fullmatch(r"-?\d+\.\d{2}%", value):
                value = "P"
            cells.append(f"{value:>{width}}")
        out.append("".join(cell + "  " for cell in cells))
    return "\n".join(out)


def _profile_small_model(**options):
    tg.manual_seed(0)
    model = tg.nn.Sequential(tg.nn.Linear(4, 3), tg.nn.ReLU(), tg.nn.Linear(3, 2))
    x = tg.ones(5, 4)
    y = tg.tensor([0, 1, 0, 1, 1])
    with profiler.profile(**options) as prof:
        tg.nn.functional.cross_entropy(model(x), y)
    return prof


class TestProfilerTables(expecttest.TestCase):
    def test_key_averages_table(self):
        prof = _profile_small_model()
        self.assertExpectedInline(_normalise(prof.key_averages().table()), """\
----------------------------  ------------  ------------  ------------  ------------  ------------  ------------  
                        Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg    # of Calls  
----------------------------  ------------  ------------  ------------  ------------  ------------  ------------  
                aten::linear             P             T             P             T             T             2  
                     aten::t             P             T             P             T             T             2  
             aten::transpose             P             T             P             T             T             2  
            aten::as_strided             P             T             P             T             T             2  
                 aten::addmm             P             T             P             T             T             2  
                  aten::relu             P             T             P             T             T             1  
             aten::clamp_min             P             T             P             T             T             1  
    aten::cross_entropy_loss             P             T             P             T             T             1  
           aten::log_softmax             P             T             P             T             T             1  
          aten::_log_softmax             P             T             P             T             T             1  
           aten::nll_loss_nd             P             T             P             T             T             1  
              aten::nll_loss             P             T             P             T             T             1  
      aten::nll_loss_forward             P             T             P             T             T             1  
----------------------------  ------------  ------------  ------------  ------------  ------------  ------------  
Self CPU time total: T
""")

    def test_grouped_by_input_shape_table(self):
        prof = _profile_small_model(record_shapes=True)
        table = prof.key_averages(group_by_input_shape=True).table(row_limit=6, max_name_column_width=20)
        self.assertExpectedInline(_normalise(table), """\
--------------------  ------------  ------------  ------------  ------------  ------------  ------------  -------------------------------------  
                Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg    # of Calls                           Input Shapes  
--------------------  ------------  ------------  ------------  ------------  ------------  ------------  -------------------------------------  
        aten::linear             P             T             P             T             T             1                  [[5, 4], [3, 4], [3]]  
             aten::t             P             T             P             T             T             1                               [[3, 4]]  
     aten::transpose             P             T             P             T             T             1                               [[3, 4]]  
    aten::as_strided             P             T             P             T             T             1                               [[3, 4]]  
         aten::addmm             P             T             P             T             T             1                  [[3], [5, 4], [4, 3]]  
          aten::relu             P             T             P             T             T             1                               [[5, 3]]  
--------------------  ------------  ------------  ------------  ------------  ------------  ------------  -------------------------------------  
Self CPU time total: T
""")

    def test_memory_table(self):
        with profiler.profile(profile_memory=True) as prof:
            a = tg.ones(100, 100)
            b = a.mm(a)
            b.sum(0)
            del b
        self.assertExpectedInline(_normalise(prof.table()), """\
--------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  
          Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg       CPU Mem  Self CPU Mem    # of Calls  
--------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  
    aten::ones             P             T             P             T             T      39.06 KB      39.06 KB             1  
      aten::mm             P             T             P             T             T      39.06 KB      39.06 KB             1  
     aten::sum             P             T             P             T             T         400 B         400 B             1  
      [memory]             P             T             P             T             T        -400 B        -400 B             1  
      [memory]             P             T             P             T             T     -39.06 KB     -39.06 KB             1  
--------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  
Self CPU time total: T
""")


if __name__ == "__main__":
    import unittest
    unittest.main()
