package io.larder.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A test comment: a change also invalidates its post's tag and "recent-comments". */
@Entity
@Table(name = "comment")
@InvalidatesTags(value = "recent-comments", associations = "post")
public class Comment {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    String body;
    @ManyToOne(fetch = FetchType.LAZY)
    Post post;

    protected Comment() {
    }

    Comment(Post post, String body) {
        this.post = post;
        this.body = body;
    }
}
