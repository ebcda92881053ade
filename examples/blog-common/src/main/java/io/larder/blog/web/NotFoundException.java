package io.larder.blog.web;

/** No such page: answered with a 404. Never cached (a loader's exception is not). */
public final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A not-found error saying what was missing. */
    public NotFoundException(String what) {
        super(what, null, false, false);
    }
}
