package io.larder.blog.comment;

import io.larder.blog.post.PostTranslation;
import jakarta.persistence.Column;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import java.time.LocalDateTime;

/** A reader's comment on one translation of a post; shown once approved. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE) // with --l2
public class Comment {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "translation_id")
    private PostTranslation translation;

    @Column(name = "author_name")
    private String authorName;

    private String body;

    @Column(name = "created_at")
    private LocalDateTime createdAt;

    private boolean approved;

    /** The database id. */
    public Long getId() {
        return id;
    }

    /** The translation commented on. */
    public PostTranslation getTranslation() {
        return translation;
    }

    /** The commenter's name. */
    public String getAuthorName() {
        return authorName;
    }

    /** The plain-text comment. */
    public String getBody() {
        return body;
    }

    /** When it was written, UTC. */
    public LocalDateTime getCreatedAt() {
        return createdAt;
    }

    /** Whether it is shown. */
    public boolean isApproved() {
        return approved;
    }

    /** Shows or hides it. */
    public void setApproved(boolean approved) {
        this.approved = approved;
    }
}
