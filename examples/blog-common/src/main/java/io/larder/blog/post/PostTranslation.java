package io.larder.blog.post;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A post's text in one language: title, slug, Markdown summary and body. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE) // with --l2
@Table(name = "post_translation")
public class PostTranslation {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "post_id")
    private Post post;

    private String lang;

    private String title;

    private String slug;

    private String summary;

    private String body;

    /** The database id. */
    public Long getId() {
        return id;
    }

    /** The post this text belongs to. */
    public Post getPost() {
        return post;
    }

    /** Sets the post. */
    public void setPost(Post post) {
        this.post = post;
    }

    /** The language code, e.g. {@code de}. */
    public String getLang() {
        return lang;
    }

    /** Sets the language code. */
    public void setLang(String lang) {
        this.lang = lang;
    }

    /** The title. */
    public String getTitle() {
        return title;
    }

    /** Sets the title. */
    public void setTitle(String title) {
        this.title = title;
    }

    /** The URL name, unique per language. */
    public String getSlug() {
        return slug;
    }

    /** Sets the URL name. */
    public void setSlug(String slug) {
        this.slug = slug;
    }

    /** The Markdown summary shown in lists. */
    public String getSummary() {
        return summary;
    }

    /** Sets the Markdown summary. */
    public void setSummary(String summary) {
        this.summary = summary;
    }

    /** The Markdown body. */
    public String getBody() {
        return body;
    }

    /** Sets the Markdown body. */
    public void setBody(String body) {
        this.body = body;
    }
}
