package io.larder.testing;

import io.larder.spi.Codec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.concurrent.atomic.LongAdder;

/** A codec that counts its decodes, to prove that rejected bytes never reached one. */
public final class CountingCodec implements Codec {
    private final Codec codec;
    private final LongAdder decodes = new LongAdder();

    /** Counts the decodes of {@code codec}. */
    public CountingCodec(Codec codec) {
        this.codec = codec;
    }

    @Override
    public byte[] encode(Object value, Type type) throws IOException {
        return codec.encode(value, type);
    }

    @Override
    public Object decode(byte[] bytes, Type type) throws IOException {
        decodes.increment();
        return codec.decode(bytes, type);
    }

    /** Decodes so far. */
    public long decodes() {
        return decodes.sum();
    }
}
