# Varnish in front of the Larder blog, with vmod_xkey (Debian: varnish-modules).
# Pages carry their tags in the xkey header (blog: --purge varnish=http://127.0.0.1:6081);
# Larder purges an invalidated tag with "PURGE /" and the tags in an xkey request header.
vcl 4.1;

import xkey;

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
        if (!req.http.xkey) {
            return (synth(400, "No xkey header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey);
        return (synth(200, "Purged " + req.http.n-gone));
    }
}

sub vcl_deliver {
    # The tags are for Varnish, not for visitors.
    unset resp.http.xkey;
}
