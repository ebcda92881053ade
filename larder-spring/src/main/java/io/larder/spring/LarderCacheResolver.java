package io.larder.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.BasicOperation;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Resolves a cached method's caches as {@link LarderCache} views that know the method's generic
 * return type (so {@code List<PostView>} is written and read back as such, in every JVM) and,
 * for a method with {@link CacheTags}, the tags of this call. A cache of another kind is
 * returned as the manager gives it. The views of each operation are made once.
 */
public final class LarderCacheResolver implements CacheResolver {
    private final CacheManager cacheManager;
    private final TagExpressions expressions = new TagExpressions();
    private final ConcurrentMap<BasicOperation, Resolved> resolved = new ConcurrentHashMap<>();

    /** The views of one operation of one method. */
    private record Resolved(Method method, List<Cache> caches, String[] tags) { }

    /** A resolver over {@code cacheManager}'s caches. */
    public LarderCacheResolver(CacheManager cacheManager) {
        this.cacheManager = Objects.requireNonNull(cacheManager, "cacheManager");
    }

    @Override
    public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
        Resolved r = resolved.get(context.getOperation());
        if (r == null || !r.method.equals(context.getMethod())) {
            r = resolve(context);
            resolved.put(context.getOperation(), r);
        }
        if (r.tags == null) {
            return r.caches;
        }
        List<String> tags = expressions.evaluate(r.tags, context.getMethod(), context.getArgs(),
                context.getTarget(), null, false);
        List<Cache> tagged = new ArrayList<>(r.caches.size());
        for (Cache cache : r.caches) {
            tagged.add(cache instanceof LarderCache larder ? larder.withTags(tags) : cache);
        }
        return tagged;
    }

    private Resolved resolve(CacheOperationInvocationContext<?> context) {
        Method method = context.getMethod();
        Class<?> targetClass = context.getTarget() == null ? method.getDeclaringClass()
                : AopUtils.getTargetClass(context.getTarget());
        Type type = ValueTypes.returnType(method, targetClass);
        List<Cache> caches = new ArrayList<>();
        for (String name : context.getOperation().getCacheNames()) {
            Cache cache = cacheManager.getCache(name);
            if (cache == null) {
                throw new IllegalArgumentException("Cannot find cache named '" + name + "' for "
                        + context.getOperation());
            }
            caches.add(cache instanceof LarderCache larder && type != null
                    ? larder.typed(type) : cache);
        }
        CacheTags tags = AnnotatedElementUtils.findMergedAnnotation(
                AopUtils.getMostSpecificMethod(method, targetClass), CacheTags.class);
        return new Resolved(method, List.copyOf(caches), tags == null ? null : tags.value());
    }
}
