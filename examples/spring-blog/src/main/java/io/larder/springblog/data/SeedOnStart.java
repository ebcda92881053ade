package io.larder.springblog.data;

import io.larder.blog.admin.Passwords;
import io.larder.blog.db.Database;
import io.larder.blog.seed.Seeder;
import io.larder.springblog.BlogProperties;
import java.sql.SQLException;
import org.springframework.beans.factory.InitializingBean;

/**
 * Fills an empty database with examples/blog's data set when the application starts (before it
 * serves), printing the admin's password when it was not configured; a database with data is
 * left as it is.
 */
final class SeedOnStart implements InitializingBean {
    private final Database database;
    private final BlogProperties.Seed seed;

    SeedOnStart(Database database, BlogProperties.Seed seed) {
        this.database = database;
        this.seed = seed;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        Seeder seeder = new Seeder(database, System.out);
        if (!seeder.isEmpty()) {
            return;
        }
        String password = seed.getAdminPassword();
        if (password == null || password.isBlank()) {
            password = Passwords.token();
            System.out.println("admin password (user " + Seeder.ADMIN + "): " + password);
        }
        seeder.seed(new Seeder.Size(seed.getPosts(), seed.getComments(),
                Seeder.Size.DEFAULT.seed()), password);
    }
}
