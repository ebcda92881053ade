package io.larder.pebble;

import io.larder.FragmentKeys;
import io.larder.Larder;
import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.lexer.Token;
import io.pebbletemplates.pebble.lexer.TokenStream;
import io.pebbletemplates.pebble.node.BodyNode;
import io.pebbletemplates.pebble.node.RenderableNode;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.node.expression.LiteralBigDecimalExpression;
import io.pebbletemplates.pebble.node.expression.LiteralDoubleExpression;
import io.pebbletemplates.pebble.node.expression.LiteralIntegerExpression;
import io.pebbletemplates.pebble.node.expression.LiteralLongExpression;
import io.pebbletemplates.pebble.node.expression.LiteralStringExpression;
import io.pebbletemplates.pebble.parser.Parser;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Parses {@code {% cache name varyOn... [ttl=n] [stale=n] [tags=list] %} body {% endcache %}}.
 * A literal name and literal TTLs are checked here, so a bad one fails when the template compiles.
 */
final class CacheTokenParser implements TokenParser {
    private static final Set<String> OPTIONS = Set.of("ttl", "stale", "tags");

    private final Larder larder;
    private final boolean varyOnLocale;

    CacheTokenParser(Larder larder, boolean varyOnLocale) {
        this.larder = larder;
        this.varyOnLocale = varyOnLocale;
    }

    @Override
    public String getTag() {
        return "cache";
    }

    @Override
    public RenderableNode parse(Token token, Parser parser) {
        TokenStream stream = parser.getStream();
        int line = token.getLineNumber();
        String file = stream.getFilename();
        stream.next(); // the 'cache' name

        Expression<?> name = parser.getExpressionParser().parseExpression();
        if (name instanceof LiteralStringExpression literal) {
            check(() -> FragmentKeys.region(literal.getValue()), line, file);
        }
        List<Expression<?>> varyOn = new ArrayList<>();
        Map<String, Expression<?>> options = new HashMap<>();
        while (!stream.current().test(Token.Type.EXECUTE_END)) {
            Token current = stream.current();
            if (current.test(Token.Type.NAME) && stream.peek().test(Token.Type.PUNCTUATION, "=")) {
                String option = current.getValue();
                if (!OPTIONS.contains(option)) {
                    throw new ParserException(null, "unknown option '" + option
                            + "' of the cache tag; expected ttl, stale or tags", line, file);
                }
                stream.next();
                stream.next();
                if (options.put(option, parser.getExpressionParser().parseExpression()) != null) {
                    throw new ParserException(null, "option '" + option
                            + "' of the cache tag was given twice", line, file);
                }
            } else if (!options.isEmpty()) {
                throw new ParserException(null, "the cache tag's vary-on values must come before"
                        + " its options (ttl=, stale=, tags=)", line, file);
            } else {
                varyOn.add(parser.getExpressionParser().parseExpression());
            }
        }
        stream.expect(Token.Type.EXECUTE_END);

        BodyNode body = parser.subparse(t -> t.test(Token.Type.NAME, "endcache"));
        stream.next(); // the 'endcache' name
        stream.expect(Token.Type.EXECUTE_END);

        Expression<?> ttl = options.get("ttl");
        Expression<?> stale = options.get("stale");
        BlockOptions blockOptions = new BlockOptions(ttl, fixed("ttl", ttl, line, file),
                stale, fixed("stale", stale, line, file), options.get("tags"));
        return new CacheNode(line, new CacheNode.Settings(larder, varyOnLocale), name,
                List.copyOf(varyOn), blockOptions, body);
    }

    /** Checks a literal TTL or stale window now; other expressions are checked when rendered. */
    private static Duration fixed(String option, Expression<?> value, int line, String file) {
        if (value instanceof LiteralIntegerExpression || value instanceof LiteralLongExpression
                || value instanceof LiteralDoubleExpression
                || value instanceof LiteralBigDecimalExpression) {
            Object literal = value.evaluate(null, null);
            return check(() -> BlockOptions.duration(option, literal), line, file);
        }
        return null;
    }

    private static <T> T check(Supplier<T> check, int line, String file) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new ParserException(e, e.getMessage(), line, file);
        }
    }
}
