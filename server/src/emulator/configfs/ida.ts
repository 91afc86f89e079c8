/**
 * The kernel's IDA as the EPF core uses it (kernel-background A.1): `ida_alloc` hands out the
 * lowest free index, `ida_free` gives one back. Shared by the replay and by the features that
 * replay the same mkdir/rmdir sequence (symbols, completion).
 *
 * Robustness (docs/robustness.md): searching upward from a "lowest free" hint is quadratic when a
 * low index is freed and re-taken between new directories (rmdir + mkdir of the first function,
 * then a new one, repeated: 8,000 repetitions took seconds in analysis, symbols and completion
 * alike). Freed indices below the high-water mark are kept in a min-heap: O(log n) per operation.
 */
export class IndexAllocator {
  /** Every index at or above this one is free. */
  private next = 0;
  /** Freed indices below `next`, as a binary min-heap. */
  private readonly freed: number[] = [];

  /** ida_alloc: the lowest free index. */
  alloc(): number {
    const heap = this.freed;
    if (heap.length === 0) return this.next++;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l] < heap[m]) m = l;
        if (r < heap.length && heap[r] < heap[m]) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }

  /** ida_free: `index` must be one `alloc` returned and not freed since. */
  free(index: number): void {
    const heap = this.freed;
    heap.push(index);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (heap[p] <= heap[i]) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  }
}
