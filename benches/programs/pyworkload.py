"""Pure-Python workload for the CPython benchmark: object allocation, dict
and string operations, sorting and recursion, printing a checksum."""


class Node:
    __slots__ = ("left", "right", "value")

    def __init__(self, left, right, value):
        self.left = left
        self.right = right
        self.value = value


def tree(depth, value):
    if depth == 0:
        return Node(None, None, value)
    return Node(tree(depth - 1, 2 * value), tree(depth - 1, 2 * value + 1), value)


def tree_sum(node):
    if node is None:
        return 0
    return node.value + tree_sum(node.left) + tree_sum(node.right)


def words(n):
    x = 1
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi"]
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        yield "".join(syllables[(x >> s) & 7] for s in range(4, 4 + 3 * (2 + x % 3), 3))


def main():
    check = 0
    for depth in range(10, 17):
        check += tree_sum(tree(depth, 1)) % 1000003
    counts = {}
    for w in words(200000):
        counts[w] = counts.get(w, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    check += sum(i * c for i, (_, c) in enumerate(ranked[:100]))
    text = " ".join(f"{w}:{c}" for w, c in ranked)
    check += len(text.split(":")) + text.count("ka")
    primes = [p for p in range(2, 60000) if all(p % d for d in range(2, int(p**0.5) + 1))]
    check += sum(primes) % 1000003
    print("pyworkload:", len(counts), "words,", len(primes), "primes, checksum", check)


main()
