# Varnish in front of the Larder blog, stock Varnish only (no vmod): a purge becomes a ban on
# the stored xkey header, matching whole space-separated tags ("." is escaped, the only regex
# character a Larder tag can hold).
vcl 4.1;

backend blog {
    .host = "127.0.0.1";
    .port = "7070";
}

# Who may purge: the application's nodes.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey !~ "^[A-Za-z0-9%@:._~ -]+$") {
            return (synth(400, "Bad xkey header"));
        }
        ban("obj.http.xkey ~ (^|\s)(" + regsuball(regsuball(req.http.xkey, "\.", "\\."),
                " +", "|") + ")(\s|$)");
        return (synth(200, "Banned"));
    }
}

sub vcl_deliver {
    # The tags are for Varnish, not for visitors.
    unset resp.http.xkey;
}
