"""Python port of the trainer's row split (io.queststream.trainer.ridge.SplitAssigner) so references and benchmarks
hold out exactly the rows the Java trainer holds out."""

M64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def _mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def _fnv1a(s):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & M64
    return h


def is_validation(row_id, seed, fraction=0.2):
    state = ((seed & M64) ^ _fnv1a(row_id)) & M64
    state = (state + GOLDEN_GAMMA) & M64
    return (_mix64(state) >> 11) * (2.0 ** -53) < fraction
