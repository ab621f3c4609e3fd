"""A worker's bounded memory of rendered bytes, shared by the page cache and the threads."""

import threading

from warta.core.memory import BoundedMemory


def test_the_oldest_go_first_and_the_total_stays_under_the_bound():
    memory = BoundedMemory(max_bytes=800)
    for n in range(10):
        memory.put(("post", n), "x" * 100)
    assert memory.size == 800 and len(memory) == 8
    assert memory.get(("post", 0)) is None and memory.get(("post", 1)) is None
    assert memory.get(("post", 9)) == "x" * 100


def test_a_value_over_an_eighth_of_the_whole_is_not_kept():
    memory = BoundedMemory(max_bytes=800)
    assert memory.put("huge", "x" * 101) is None
    assert memory.get("huge") is None and memory.size == 0


def test_the_first_value_kept_under_a_key_wins():
    memory = BoundedMemory(max_bytes=800)
    first = memory.put("key", b"first")
    assert memory.put("key", b"other") is first
    assert memory.size == len(b"first")


def test_sizes_can_be_told_by_a_function():
    memory = BoundedMemory(max_bytes=100, size_of=lambda value: value["size"])
    for n in range(5):
        memory.put(n, {"size": 12})
    assert memory.size == 60
    memory.put("big", {"size": 12})
    memory.put("bigger", {"size": 12})
    assert memory.size == 84 and memory.get(0) == {"size": 12}


def test_threads_filling_at_once_keep_the_size_exact():
    memory = BoundedMemory(max_bytes=10_000)

    def fill(offset):
        for n in range(2_000):
            memory.put((offset, n % 300), b"x" * 50)

    workers = [threading.Thread(target=fill, args=(offset,)) for offset in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert memory.size == sum(len(value) for value in memory.entries.values()) <= 10_000
