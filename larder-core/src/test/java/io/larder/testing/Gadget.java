package io.larder.testing;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * A stand-in for a Java deserialization gadget (the kind of class that CommonsCollections-style
 * attacks chain): initializing or deserializing it is counted in {@link Gadgets}. Only its name
 * is ever used by the tests; nothing here may touch it otherwise.
 */
public final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;

    static {
        Gadgets.INITIALIZED.incrementAndGet();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        Gadgets.DESERIALIZED.incrementAndGet();
    }
}
