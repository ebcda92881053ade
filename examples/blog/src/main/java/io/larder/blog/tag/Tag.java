package io.larder.blog.tag;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** A topic shared by posts in every language. */
@Entity
public class Tag {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    private String slug;

    /** The database id. */
    public Long getId() {
        return id;
    }

    /** The name shown in tag lists. */
    public String getName() {
        return name;
    }

    /** The name in URLs. */
    public String getSlug() {
        return slug;
    }
}
