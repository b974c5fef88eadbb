package io.respire.persistence;

/** A loader sink that keeps nothing; tests override what they look at. */
public class DiscardingSink implements RdbLoader.Sink {
    @Override
    public void function(byte[] code) {
    }

    @Override
    public void selectDb(long id) {
    }

    @Override
    public void key(byte[] key, Object value, long expireAtMs, long idle, int freq) {
    }
}
