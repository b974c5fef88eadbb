package io.respire.server.commands;

import java.util.Comparator;

/**
 * The qsort of the glibc Redis 7.0.15 runs on (Debian's 2.36, msort.c): a top-down merge sort,
 * halves of n / 2 and n - n / 2, merged taking from the left half while it compares {@code <= 0}.
 *
 * <p>Where Redis sorts with qsort (GEOSEARCH's ASC and DESC) this reproduces its order exactly:
 * it is stable like Java's sort, but it also makes the same comparisons in the same order, so it
 * agrees with Redis even for a comparator that is not a total order (Redis's distance comparator
 * on a NaN distance), on which Java's TimSort may order otherwise or throw.
 */
final class MergeSort {
    private MergeSort() {
    }

    static <T> void sort(T[] a, Comparator<? super T> cmp) {
        if (a.length > 1) {
            sort(a, 0, a.length, a.clone(), cmp);
        }
    }

    private static <T> void sort(T[] a, int from, int n, T[] tmp, Comparator<? super T> cmp) {
        if (n <= 1) {
            return;
        }
        int n1 = n / 2;
        int n2 = n - n1;
        sort(a, from, n1, tmp, cmp);
        sort(a, from + n1, n2, tmp, cmp);
        int i = from;
        int j = from + n1;
        int end1 = from + n1;
        int end2 = from + n;
        int k = 0;
        while (i < end1 && j < end2) {
            tmp[k++] = cmp.compare(a[i], a[j]) <= 0 ? a[i++] : a[j++];
        }
        while (i < end1) {
            tmp[k++] = a[i++];
        }
        // What is left of the right half is already in place.
        System.arraycopy(tmp, 0, a, from, k);
    }
}
