package dev.airlock.provider;

/** Arithmetic on embedding vectors. */
public final class Vectors {
    private Vectors() {}

    /** Cosine similarity of two vectors, 0 when either is all zeros; over the shorter length if they differ. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
