package io.larder.hibernate.internal;

import io.larder.Larder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Sees every SQL statement of the factory's sessions. A statement that writes tables (a bulk or
 * native {@code update}, or an entity's own) hands their type tags to the session's
 * {@link SessionStatements}; one that reads tables tags the Larder load running on this thread
 * with their type tags, so that a cached projection or an empty result is invalidated too.
 */
final class StatementTags implements StatementInspector {
    private static final Pattern WRITE = Pattern.compile(
            "\\b(?:insert\\s+into|update|delete\\s+from|merge\\s+into)\\s+([^\\s(),;]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WORD =
            Pattern.compile("\"[^\"]+\"|`[^`]+`|[\\p{L}_][\\p{L}\\p{N}_$]*");
    private static final int MAX_PARSED = 4096;

    private final transient Installation installation;
    private final transient ConcurrentMap<String, Parsed> parsed = new ConcurrentHashMap<>();

    StatementTags(Installation installation) {
        this.installation = installation;
    }

    private record Parsed(boolean write, String[] tags) { }

    @Override
    public String inspect(String sql) {
        Tables tables = installation.tables();
        if (tables == null) {
            return sql;
        }
        Parsed statement = parsed.get(sql);
        if (statement == null) {
            statement = parse(sql, tables);
            if (parsed.size() >= MAX_PARSED) {
                parsed.clear();
            }
            parsed.put(sql, statement);
        }
        if (statement.write) {
            SessionStatements.statement(installation, List.of(statement.tags));
        } else {
            SessionStatements.statement(null, null);
            if (statement.tags.length > 0 && installation.tagLoads) {
                Larder.tagCurrentLoad(statement.tags);
            }
        }
        return sql;
    }

    static Parsed parse(String sql, Tables tables) {
        Set<String> written = new LinkedHashSet<>();
        Matcher write = WRITE.matcher(sql);
        while (write.find()) {
            written.addAll(tables.tagsOf(write.group(1)));
        }
        if (!written.isEmpty()) {
            return new Parsed(true, written.toArray(String[]::new));
        }
        Set<String> read = new LinkedHashSet<>();
        Matcher word = WORD.matcher(sql);
        while (word.find()) {
            read.addAll(tables.tagsOf(word.group()));
        }
        return new Parsed(false, read.toArray(String[]::new));
    }
}
