import { BinaryHeap } from './binary-heap';
import { SeededRandom } from './prng';

describe('BinaryHeap', () => {
  it('pops in order, whatever the order of pushes', () => {
    const random = new SeededRandom(3);
    const heap = new BinaryHeap<number>((a, b) => a < b);
    const values = Array.from({ length: 1000 }, () => Math.floor(random.next() * 100));
    values.forEach((v) => heap.push(v));
    expect(heap.size).toBe(1000);
    const out: number[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
    expect(out).toEqual([...values].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });

  it('keeps equal times in insertion order when the comparator breaks ties by sequence', () => {
    const heap = new BinaryHeap<{ at: number; seq: number }>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
    [5, 1, 5, 1, 5].forEach((at, seq) => heap.push({ at, seq }));
    expect(heap.peek()).toEqual({ at: 1, seq: 1 });
    const out = [];
    while (heap.size > 0) out.push(heap.pop()?.seq);
    expect(out).toEqual([1, 3, 0, 2, 4]);
  });
});
