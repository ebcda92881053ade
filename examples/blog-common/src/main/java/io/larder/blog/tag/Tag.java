package io.larder.blog.tag;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A topic shared by posts in every language. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE) // with --l2
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
