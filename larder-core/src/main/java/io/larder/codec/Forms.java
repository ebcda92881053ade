package io.larder.codec;

import io.larder.spi.ValueForm;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.LoggerFactory;

/**
 * The {@link ValueForm}s on the class path or module path, by the type each encodes, found once
 * when the first value that is neither a string nor bytes is encoded or decoded. A form that
 * cannot be loaded is logged and left out (its type is then stored as JSON); of two forms for
 * one type, the first found is used.
 */
final class Forms {
    /** Errors after which the search stops (the loader's recovery is best effort only). */
    private static final int MAX_ERRORS = 16;
    private static final Map<Class<?>, ValueForm<?>> FORMS = load();

    private Forms() {
    }

    /** The form of {@code type}, or {@code null} when it has none. */
    static ValueForm<?> of(Type type) {
        return type instanceof Class<?> c ? FORMS.get(c) : null;
    }

    private static Map<Class<?>, ValueForm<?>> load() {
        Map<Class<?>, ValueForm<?>> forms = new HashMap<>();
        @SuppressWarnings("rawtypes")
        Iterator<ValueForm> found = ServiceLoader.load(ValueForm.class,
                Forms.class.getClassLoader()).iterator();
        for (int errors = 0; errors < MAX_ERRORS; ) {
            try {
                if (!found.hasNext()) {
                    break;
                }
                ValueForm<?> form = found.next();
                ValueForm<?> first = forms.putIfAbsent(form.type(), form);
                if (first != null) {
                    LoggerFactory.getLogger(Forms.class).warn("two value forms for {}: {} is used,"
                            + " {} is not", form.type().getName(), first.getClass().getName(),
                            form.getClass().getName());
                }
            } catch (ServiceConfigurationError e) {
                errors++;
                LoggerFactory.getLogger(Forms.class).warn("a value form cannot be loaded; its"
                        + " type is stored as JSON", e);
            }
        }
        return Map.copyOf(forms);
    }
}
