package io.larder.hibernate.internal;

import io.larder.hibernate.Change;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.hibernate.persister.entity.EntityPersister;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a change of one entity type invalidates: its names ({@code Post}, and the names of the
 * entities it extends) with and without the id, fixed tags, associations and functions.
 */
record EntityRules(List<String> typeNames, List<String> fixed, int[] associations,
        List<BiFunction<Change, Object, ? extends Collection<String>>> functions) {
    private static final Logger LOG = LoggerFactory.getLogger(EntityRules.class);

    static EntityRules of(EntityPersister persister,
            Map<Class<?>, BiFunction<Change, Object, ? extends Collection<String>>> mappings) {
        Class<?> type = persister.getMappedClass();
        String entity = persister.getJpaEntityName();
        List<String> fixed = Installation.declared(type, false);
        for (String tag : fixed) {
            if (!valid(tag)) {
                throw new IllegalArgumentException("@InvalidatesTags on " + entity
                        + " declares tag '" + tag + "': a tag must be 1-200 characters, not start"
                        + " with '@', and have no control characters");
            }
        }
        List<String> names = Arrays.asList(persister.getPropertyNames());
        List<String> associationNames = Installation.declared(type, true);
        int[] associations = new int[associationNames.size()];
        for (int i = 0; i < associations.length; i++) {
            String name = associationNames.get(i);
            int index = names.indexOf(name);
            if (index < 0 || !persister.getPropertyTypes()[index].isEntityType()) {
                throw new IllegalArgumentException("@InvalidatesTags on " + entity
                        + " names association '" + name + "', which is not a to-one association of "
                        + entity + "; its attributes: " + names);
            }
            associations[i] = index;
        }
        List<BiFunction<Change, Object, ? extends Collection<String>>> functions =
                new ArrayList<>();
        mappings.forEach((mapped, function) -> {
            if (type != null && mapped.isAssignableFrom(type)) {
                functions.add(function);
            }
        });
        return new EntityRules(List.copyOf(Installation.typeNames(persister)), List.copyOf(fixed),
                associations, List.copyOf(functions));
    }

    /** Adds the type names, the names with {@code id} and the fixed tags. */
    void addOwnTags(Set<String> tags, Object id) {
        tags.addAll(typeNames);
        for (String name : typeNames) {
            String idTag = idTag(name, id);
            if (idTag != null) {
                tags.add(idTag);
            }
        }
        tags.addAll(fixed);
    }

    /** Whether the application gave functions for this type. */
    boolean mapped() {
        return !functions.isEmpty();
    }

    /** Adds the tags the application's functions give for {@code change} of {@code entity}. */
    void addMappedTags(Set<String> tags, Change change, Object entity) {
        for (BiFunction<Change, Object, ? extends Collection<String>> function : functions) {
            try {
                Collection<String> mapped = function.apply(change, entity);
                if (mapped == null) {
                    continue;
                }
                for (String tag : mapped) {
                    if (valid(tag)) {
                        tags.add(tag);
                    } else {
                        LOG.error("Larder ignored tag '{}' given for {}: not a valid tag", tag,
                                typeNames.get(0));
                    }
                }
            } catch (RuntimeException e) {
                // The entity's own tags are still invalidated; the function's bug is reported.
                LOG.error("Larder's tag function for {} failed", typeNames.get(0), e);
            }
        }
    }

    /** {@code Post:42}, or {@code null} without an id or when too long to be a tag. */
    static String idTag(String name, Object id) {
        if (id == null) {
            return null;
        }
        String tag = name + ":" + id;
        return valid(tag) ? tag : null;
    }

    /** Larder's rule for a tag: 1-200 characters, no control characters, no leading '@'. */
    static boolean valid(String tag) {
        return tag != null && !tag.isEmpty() && tag.length() <= 200 && !tag.startsWith("@")
                && tag.chars().noneMatch(Character::isISOControl);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "EntityRules" + typeNames;
    }
}
