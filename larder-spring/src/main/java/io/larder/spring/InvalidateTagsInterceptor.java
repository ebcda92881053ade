package io.larder.spring;

import io.larder.Larder;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Applies {@link InvalidateTags}: after the method returns, its tags are invalidated, once the
 * enclosing transaction (if any) has committed.
 */
final class InvalidateTagsInterceptor implements MethodInterceptor {
    private final Larder larder;
    private final TagExpressions expressions = new TagExpressions();

    InvalidateTagsInterceptor(Larder larder) {
        this.larder = Objects.requireNonNull(larder, "larder");
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object result = invocation.proceed();
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Method specific = target == null ? method
                : AopUtils.getMostSpecificMethod(method, AopUtils.getTargetClass(target));
        InvalidateTags annotation = AnnotatedElementUtils.findMergedAnnotation(specific,
                InvalidateTags.class);
        if (annotation != null) {
            List<String> tags = expressions.evaluate(annotation.value(), method,
                    invocation.getArguments(), target, result, true);
            if (!tags.isEmpty()) {
                AfterCommit.run(() -> larder.invalidateTags(tags));
            }
        }
        return result;
    }
}
