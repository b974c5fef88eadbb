package io.respire.server.commands;

import java.util.Comparator;

/**
 * Redis's pqsort.c: the Bentley-McIlroy quicksort of NetBSD's qsort, changed to recurse only into
 * the partitions that overlap a range of positions, so that only that range ends up sorted.
 * SORT ... BY pattern LIMIT uses it.
 *
 * <p>It is ported step for step, pivot choice and swaps included, rather than replaced by a
 * library sort, because it is not stable: elements that compare equal (ALPHA BY weights that are
 * missing or equal) come out in an order that only this exact algorithm reproduces.
 */
final class PartialQuickSort {
    private PartialQuickSort() {
    }

    /** Reorders {@code a} so that positions {@code from..to} (inclusive) hold what a full sort would put there. */
    static <T> void sort(T[] a, Comparator<? super T> cmp, int from, int to) {
        sort(a, 0, a.length, cmp, from, to);
    }

    private static <T> void sort(T[] a, int base, int n, Comparator<? super T> cmp, int from, int to) {
        while (true) {
            if (n < 7) {
                for (int m = base + 1; m < base + n; m++) {
                    for (int l = m; l > base && cmp.compare(a[l - 1], a[l]) > 0; l--) {
                        swap(a, l, l - 1);
                    }
                }
                return;
            }
            int pm = base + n / 2;
            if (n > 7) {
                int pl = base;
                int pn = base + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
                    pm = med3(a, pm - d, pm, pm + d, cmp);
                    pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = med3(a, pl, pm, pn, cmp);
            }
            swap(a, base, pm);
            // Three-way partition around a[base]: equal elements gather at both ends first.
            int pa = base + 1;
            int pb = pa;
            int pc = base + n - 1;
            int pd = pc;
            while (true) {
                int r;
                while (pb <= pc && (r = cmp.compare(a[pb], a[base])) <= 0) {
                    if (r == 0) {
                        swap(a, pa++, pb);
                    }
                    pb++;
                }
                while (pb <= pc && (r = cmp.compare(a[pc], a[base])) >= 0) {
                    if (r == 0) {
                        swap(a, pc, pd--);
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb++, pc--);
            }
            int end = base + n;
            int r = Math.min(pa - base, pb - pa);
            swapRuns(a, base, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            swapRuns(a, pb, end - r, r);
            r = pb - pa;
            if (r > 1 && overlaps(base, r, from, to)) {
                sort(a, base, r, cmp, from, to);
            }
            r = pd - pc;
            if (r > 1 && overlaps(end - r, r, from, to)) {
                base = end - r; // iterate rather than recurse, as pqsort does
                n = r;
                continue;
            }
            return;
        }
    }

    /** Whether the partition of {@code n} elements at {@code start} is not wholly before or after {@code from..to}. */
    private static boolean overlaps(int start, int n, int from, int to) {
        return !((from < start && to < start) || (from >= start + n && to >= start + n));
    }

    private static <T> int med3(T[] a, int i, int j, int k, Comparator<? super T> cmp) {
        return cmp.compare(a[i], a[j]) < 0
                ? (cmp.compare(a[j], a[k]) < 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? k : i))
                : (cmp.compare(a[j], a[k]) > 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? i : k));
    }

    private static void swap(Object[] a, int i, int j) {
        Object t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Exchanges the {@code n} elements at {@code i} with those at {@code j} (the runs never overlap). */
    private static void swapRuns(Object[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(a, i + k, j + k);
        }
    }
}
