package io.larder.blog.post;

import io.larder.blog.author.Author;
import io.larder.blog.tag.Tag;
import jakarta.persistence.Column;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import java.time.LocalDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A post: its author, publication state and tags; the text lives in its translations. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE) // with --l2
public class Post {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "author_id")
    private Author author;

    private boolean published;

    @Column(name = "published_at")
    private LocalDateTime publishedAt;

    private long views;

    @ManyToMany
    @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
    @JoinTable(name = "post_tag", joinColumns = @JoinColumn(name = "post_id"),
            inverseJoinColumns = @JoinColumn(name = "tag_id"))
    private Set<Tag> tags = new LinkedHashSet<>();

    @OneToMany(mappedBy = "post")
    @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
    private List<PostTranslation> translations;

    /** The database id. */
    public Long getId() {
        return id;
    }

    /** Who wrote it. */
    public Author getAuthor() {
        return author;
    }

    /** Sets who wrote it. */
    public void setAuthor(Author author) {
        this.author = author;
    }

    /** Whether visitors see it. */
    public boolean isPublished() {
        return published;
    }

    /** Shows or hides it. */
    public void setPublished(boolean published) {
        this.published = published;
    }

    /** When it was (or will be shown as) published, UTC. */
    public LocalDateTime getPublishedAt() {
        return publishedAt;
    }

    /** Sets the publication time, UTC. */
    public void setPublishedAt(LocalDateTime publishedAt) {
        this.publishedAt = publishedAt;
    }

    /** How often it was read (from the analytics import). */
    public long getViews() {
        return views;
    }

    /** Its tags (lazy). */
    public Set<Tag> getTags() {
        return tags;
    }

    /** Its translations (lazy). */
    public List<PostTranslation> getTranslations() {
        return translations;
    }
}
