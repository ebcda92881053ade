package io.larder.thymeleaf;

import org.thymeleaf.engine.IterationStatusVar;

/**
 * What a cache block's snapshot holds in place of a {@code th:each} status variable
 * ({@code postStat}): its values when the block was reached, with the same properties.
 * Thymeleaf updates one status object in place on every iteration, so a block refreshed after
 * the loop moved on would otherwise see the last iteration's values.
 */
public final class FrozenIterationStatus {
    private final int index;
    private final Integer size;
    private final Object current;

    FrozenIterationStatus(IterationStatusVar status) {
        this.index = status.getIndex();
        this.size = status.getSize();
        this.current = status.getCurrent();
    }

    /** The index of the iteration, from 0. */
    public int getIndex() {
        return index;
    }

    /** The number of the iteration, from 1. */
    public int getCount() {
        return index + 1;
    }

    /** Whether the size of the iterated collection is known. */
    public boolean hasSize() {
        return size != null;
    }

    /** The size of the iterated collection, or {@code null}. */
    public Integer getSize() {
        return size;
    }

    /** The iterated element. */
    public Object getCurrent() {
        return current;
    }

    /** Whether the count is even. */
    public boolean isEven() {
        return getCount() % 2 == 0;
    }

    /** Whether the count is odd. */
    public boolean isOdd() {
        return !isEven();
    }

    /** Whether this is the first iteration. */
    public boolean isFirst() {
        return index == 0;
    }

    /** Whether this is the last iteration (false when the size is unknown). */
    public boolean isLast() {
        return size != null && index == size - 1;
    }

    /** As Thymeleaf prints its status variable. */
    @Override
    public String toString() {
        return "{index = " + index + ", count = " + getCount() + ", size = " + size
                + ", current = " + (current == null ? "null" : current.toString()) + "}";
    }
}
