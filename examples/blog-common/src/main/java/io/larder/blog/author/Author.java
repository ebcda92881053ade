package io.larder.blog.author;

import jakarta.persistence.Column;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A person who writes posts and may log in to the admin area. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE) // with --l2
public class Author {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String username;

    @Column(name = "display_name")
    private String displayName;

    @Column(name = "password_hash")
    private String passwordHash;

    /** The database id. */
    public Long getId() {
        return id;
    }

    /** The login name. */
    public String getUsername() {
        return username;
    }

    /** The name shown under posts. */
    public String getDisplayName() {
        return displayName;
    }

    /** The PBKDF2 hash of the password, in the form written by {@code Passwords}. */
    public String getPasswordHash() {
        return passwordHash;
    }
}
