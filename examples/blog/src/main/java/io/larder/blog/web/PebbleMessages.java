package io.larder.blog.web;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Extension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Pebble function {@code t("key", a, b, c)}: {@link Messages} in the template's {@code lang}. */
final class PebbleMessages {
    private PebbleMessages() {
    }

    /** The extension that defines {@code t}. */
    static Extension extension() {
        return new AbstractExtension() {
            @Override
            public Map<String, Function> getFunctions() {
                return Map.of("t", new Text());
            }
        };
    }

    private static final class Text implements Function {
        private static final List<String> ARGUMENTS = List.of("key", "a", "b", "c");

        @Override
        public List<String> getArgumentNames() {
            return ARGUMENTS;
        }

        @Override
        public Object execute(Map<String, Object> args, PebbleTemplate self,
                EvaluationContext context, int lineNumber) {
            Object lang = context.getVariable("lang");
            List<Object> values = new ArrayList<>();
            for (String name : ARGUMENTS.subList(1, ARGUMENTS.size())) {
                if (args.get(name) != null) {
                    values.add(args.get(name));
                }
            }
            return Messages.of(String.valueOf(lang)).text(String.valueOf(args.get("key")),
                    values.toArray());
        }
    }
}
