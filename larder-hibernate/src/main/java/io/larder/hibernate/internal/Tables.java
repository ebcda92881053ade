package io.larder.hibernate.internal;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hibernate.metamodel.MappingMetamodel;

/**
 * The type tags of the entities stored in each table: an entity's own tables, and the tables of
 * its collections (which are the owner's state). Keys are lower-case names without schema or
 * quotes.
 */
record Tables(Map<String, List<String>> byTable) {

    static Tables of(MappingMetamodel metamodel, Installation installation) {
        Map<String, Set<String>> tables = new HashMap<>();
        metamodel.forEachEntityDescriptor(persister -> {
            for (Serializable space : persister.getQuerySpaces()) {
                tables.computeIfAbsent(normalize(space.toString()), t -> new LinkedHashSet<>())
                        .add(persister.getJpaEntityName());
            }
        });
        metamodel.forEachCollectionDescriptor(collection -> {
            for (String space : collection.getCollectionSpaces()) {
                tables.computeIfAbsent(normalize(space), t -> new LinkedHashSet<>())
                        .addAll(installation.rules(collection.getOwnerEntityPersister())
                                .typeNames());
            }
        });
        Map<String, List<String>> frozen = new HashMap<>();
        tables.forEach((table, names) -> frozen.put(table, List.copyOf(names)));
        return new Tables(Map.copyOf(frozen));
    }

    /** The type tags of {@code table} as written in SQL (quoted, qualified, any case), or none. */
    List<String> tagsOf(String table) {
        List<String> tags = byTable.get(normalize(table));
        return tags == null ? List.of() : tags;
    }

    static String normalize(String table) {
        String name = table;
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            name = name.substring(dot + 1);
        }
        if (name.length() >= 2 && "\"`[".indexOf(name.charAt(0)) >= 0) {
            name = name.substring(1, name.length() - 1);
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
