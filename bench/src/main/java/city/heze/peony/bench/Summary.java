package city.heze.peony.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One figure over the runs of a benchmark: the median, the smallest and the largest sample. The
 * median, not the mean, because one run disturbed by another process on a shared machine moves a
 * mean but not a median; min and max show how noisy the machine was.
 */
public record Summary(double median, double min, double max, int count) {

    /** @throws IllegalArgumentException for no samples, or a sample that is not a finite number */
    public static Summary of(List<Double> samples) {
        double[] values = new double[samples.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = samples.get(i);
        }
        return of(values);
    }

    public static Summary of(double... samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("a summary needs at least one sample");
        }
        double[] sorted = samples.clone();
        for (double v : sorted) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        "sample " + v + " is not a finite number: " + Arrays.toString(samples));
            }
        }
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(median, sorted[0], sorted[n - 1], n);
    }
}
