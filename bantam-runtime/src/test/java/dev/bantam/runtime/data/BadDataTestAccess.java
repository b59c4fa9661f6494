package dev.bantam.runtime.data;

/** Test helpers of this package for tests elsewhere. */
public final class BadDataTestAccess {

    private BadDataTestAccess() {
    }

    /** A minimal .npy file. */
    public static byte[] npy(String descr, String shape, byte[] data) {
        return BadDataTest.npy(descr, shape, data);
    }
}
