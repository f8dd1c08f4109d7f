// THE closed list of reason codes: identifier, stable dotted code, and the hint
// shown under a result — what an experienced network engineer would check next.
// Add a code here (and to docs/results.md's table) or nowhere; tests assert on codes.
// X(identifier, "code", "hint")
#pragma once

#define EDGEPROBE_REASONS(X) \
  X(none, "", "") \
  /* General */ \
  X(check_needs_failed, "check.needs_failed", "Fix the check this one needs first; this result would only repeat its failure.") \
  X(check_timeout, "check.timeout", "The whole check ran out of time. Raise `timeout` if the path is slow, or look at the phase named in the message: that is where the time went.") \
  X(check_cancelled, "check.cancelled", "The run was interrupted (Ctrl-C or SIGTERM) before this check finished; run it again.") \
  X(config_invalid, "config.invalid", "The check's options could not be used as given; correct the suite file.") \
  X(internal_error, "internal.error", "This is a bug in edgeprobe, not a network fault. Please report it with the suite and the output of -v.") \
  /* DNS */ \
  X(dns_nxdomain, "dns.nxdomain", "The name does not exist in DNS. Check the spelling, and that the record is published in the zone the resolver sees (split-brain DNS: inside and outside answer differently).") \
  X(dns_nodata, "dns.nodata", "The name exists but has no record of this type. Publish the record (A/AAAA/SRV), or ask for the type that is there.") \
  X(dns_servfail, "dns.servfail", "The resolver could not get an answer: the authoritative servers are unreachable, lame, or DNSSEC validation failed. Try `dig +trace` and `dig +cd` against the same resolver.") \
  X(dns_refused, "dns.refused", "The DNS server refused the query: it does not serve this zone or does not allow recursion for this client. Use a resolver that is allowed to answer for you.") \
  X(dns_timeout, "dns.timeout", "The resolver did not answer in time. Check that UDP and TCP 53 reach it, and that it is running.") \
  X(dns_unexpected_answer, "dns.unexpected_answer", "DNS answers, but not with what the check expects: a stale record, a wrong zone, or a different view of split-brain DNS.") \
  X(dns_no_address, "dns.no_address", "The name has no address of the family asked for. Publish an A (or AAAA) record, or set `family`.") \
  /* TCP */ \
  X(tcp_refused, "tcp.refused", "A reset came back to the SYN: nothing listens on that port at that address, or a firewall rejects with RST. Check that the service is running and bound to this address, not only to 127.0.0.1.") \
  X(tcp_timeout, "tcp.timeout", "No SYN-ACK came back: the SYNs were silently dropped by a firewall or security group on the path, or the replies are lost (asymmetric routing, an IPsec policy, a source-port filter). A capture on the server tells whether the SYN arrives.") \
  X(tcp_host_unreachable, "tcp.host_unreachable", "A router reported the host unreachable (ICMP): the host is down or not on that subnet (no ARP answer). Check the address and the last-hop router.") \
  X(tcp_net_unreachable, "tcp.net_unreachable", "A router reported the network unreachable (ICMP): a route is missing somewhere on the path. Trace the route towards the target.") \
  X(tcp_admin_prohibited, "tcp.admin_prohibited", "A firewall or router rejected the connection administratively (ICMP 'communication administratively prohibited'). Find the ACL on the device named in the message.") \
  X(tcp_no_route, "tcp.no_route", "This machine has no route to the target. Check its routing table and default gateway (`ip route get ADDRESS`).") \
  X(tcp_local_ports_exhausted, "tcp.local_ports_exhausted", "This machine has no free ephemeral port (EADDRNOTAVAIL): the problem is the monitoring host itself. Look for connections piling up in TIME_WAIT (`ss -s`), widen net.ipv4.ip_local_port_range, or use `close: rst`.") \
  X(tcp_reset, "tcp.reset", "The connection was established and then reset by the peer or a device in between: the service closed it abortively, or a firewall/IPS killed it after the handshake.") \
  X(tcp_zero_window, "tcp.zero_window", "The peer advertises a zero receive window: the application on the server is not reading its socket (hung or overloaded).") \
  X(tcp_small_mss, "tcp.small_mss", "The negotiated MSS is smaller than expected: a device on the path clamps MSS (VPN, IPsec, PPPoE). Large packets will fragment or stall if PMTU discovery is blocked.") \
  X(tcp_slow_connect, "tcp.slow_connect", "The connection was made, but the handshake took longer than `expect.max_connect_ms`: a first SYN was lost and retransmitted (see syns_sent), the path is long or congested, or the server is slow to accept (a full listen backlog).") \
  X(tcp_source_port_blocked, "tcp.source_port_blocked", "Some source ports connect and others do not: a firewall, IPsec policy or host filter blocks by source port. Compare the blocked ports with the policies on both ends.") \
  X(tcp_banner_mismatch, "tcp.banner_mismatch", "Something answers on the port, but not the service expected: a different application, a proxy, or a load balancer's default page.") \
  X(tcp_unexpectedly_open, "tcp.unexpectedly_open", "The port is open although it must not be reachable from here. Close it on the firewall or stop the service.") \
  X(tcp_unexpectedly_closed, "tcp.unexpectedly_closed", "The port answers with a reset although it was expected to be filtered (silently dropped). A host answers where a firewall was expected to drop.") \
  /* UDP */ \
  X(udp_port_unreachable, "udp.port_unreachable", "ICMP port unreachable came back: the host is up but nothing listens on that UDP port, or a firewall rejects it.") \
  X(udp_no_response, "udp.no_response", "Silence: the datagrams were dropped by a firewall, or the service ignored what was sent. UDP cannot tell these apart; a capture on the server can.") \
  X(udp_reply_mismatch, "udp.reply_mismatch", "An answer came, but not the one expected: a different service listens on that port.") \
  X(udp_unexpectedly_open, "udp.unexpectedly_open", "The UDP port answered although it must not be reachable from here. Close it on the firewall or stop the service.") \
  /* Path */ \
  X(path_address_translated, "path.address_translated", "The far side saw a different source address or port than this host used: NAT or a proxy sits on the path. That matters for allow-lists on the far side.") \
  /* TLS */ \
  X(tls_not_tls, "tls.not_tls", "The peer answered the ClientHello with something that is not TLS (the message shows its first bytes): the port serves plain HTTP or another protocol, or the service expects STARTTLS first (`starttls: smtp`). Check the port and the listener's binding.") \
  X(tls_handshake_failed, "tls.handshake_failed", "The TLS handshake failed with the alert named in the message. 'protocol version': no TLS version in common (check min_version/max_version against the server's); 'handshake failure': no common cipher or signature algorithm; 'unrecognized name': the server has no certificate for the SNI sent; closed without an alert: the service rejects the client before TLS starts.") \
  X(tls_version_too_low, "tls.version_too_low", "The server negotiated an older TLS version than the check allows. Enable TLS 1.2/1.3 on the server or on the load balancer or reverse proxy in front of it; on Windows, check the Schannel protocol registry keys.") \
  X(tls_cert_expired, "tls.cert.expired", "A certificate of the chain has expired (the message says which). Renew it and bind the new one on every listener that serves it: load balancer, reverse proxy, Edge. An expired intermediate is fixed by sending the current one.") \
  X(tls_cert_not_yet_valid, "tls.cert.not_yet_valid", "A certificate is not valid yet: it was bound before its start date, or a clock is wrong — compare this host's time (in the message) with NTP.") \
  X(tls_cert_expires_soon, "tls.cert.expires_soon", "A certificate of the chain expires soon (the message says which and when). Renew it now and bind it on every listener that serves it.") \
  X(tls_cert_untrusted, "tls.cert.untrusted", "The chain does not lead to a root this client trusts (self-signed, or a private or unknown CA). For external names use a public CA; for a private CA, install its root on the clients, or give the probe `ca_file`.") \
  X(tls_cert_chain_incomplete, "tls.cert.chain_incomplete", "The server does not send the intermediate certificate(s). Browsers may hide this by downloading them; Lync/Skype, Java, curl and mobile clients fail. Bind the full chain on the server (on IIS/Windows: install the intermediate in the computer's Intermediate CA store).") \
  X(tls_cert_name_mismatch, "tls.cert.name_mismatch", "The certificate does not cover the name connected to (the message lists the names it does cover and the address that served it). Either the listener has the wrong certificate, or DNS points the name at the wrong listener — resolve it and compare with the address in the message.") \
  X(tls_cert_san_missing, "tls.cert.san_missing", "The certificate lacks a name in its subjectAltName (the message lists what is missing and what is there). Reissue it with every published name as a SAN; the common name alone no longer counts.") \
  X(tls_cert_issuer_mismatch, "tls.cert.issuer_mismatch", "The certificate was issued by another CA than the check expects: an old or internal certificate is bound on this listener, or the name reaches a different server.") \
  X(tls_client_cert_required, "tls.client_cert_required", "The server demands a client certificate. Give the probe `client_cert`/`client_key`, or check whether mutual TLS is meant to be required on this listener.") \
  X(tls_client_cert_not_requested, "tls.client_cert_not_requested", "The server did not ask for a client certificate in the handshake: client-certificate authentication is off on this listener, or the server asks only later by renegotiation for some paths (IIS per-folder settings).") \
  X(tls_client_ca_list_large, "tls.client_ca_list_large", "The server's list of acceptable client CA names is large: Windows/Schannel clients silently send no certificate once it passes about 16 KB (KB 933430). Prune unused and expired roots from the server's trusted root store, or send no list (SendTrustedIssuerList = 0).") \
  /* STUN / TURN */ \
  X(turn_no_response, "turn.no_response", "No STUN/TURN answer: check that UDP 3478 (and TCP 443) is open on the firewall towards the relay, and that the relay service is listening.") \
  X(turn_port_unreachable, "turn.port_unreachable", "ICMP port unreachable: the host is up but the TURN service does not listen on this port.") \
  X(turn_malformed, "turn.malformed", "The answer is not well-formed STUN: another service answers on this port.") \
  X(turn_auth_failed, "turn.auth_failed", "The relay rejected the credentials: wrong user, password or realm, or credentials that expired.") \
  X(turn_error, "turn.error", "The relay answered with an error code (see the message for code and text).") \
  X(turn_integrity_invalid, "turn.integrity_invalid", "The answer's MESSAGE-INTEGRITY or FINGERPRINT does not verify: a middlebox altered it, or the realm/password differ.") \
  X(turn_reply_from_other_address, "turn.reply_from_other_address", "The answer came from a different address than the one asked: stateful firewalls drop such answers for ordinary clients. Make the relay answer from the address clients use.") \
  /* SQL Browser */ \
  X(sqlbrowser_no_response, "sqlbrowser.no_response", "No answer from the SQL Server Browser: UDP 1434 is blocked, or the Browser service is stopped.") \
  X(sqlbrowser_port_unreachable, "sqlbrowser.port_unreachable", "ICMP port unreachable: the host is up but the SQL Server Browser service is not running.") \
  X(sqlbrowser_reply_from_other_address, "sqlbrowser.reply_from_other_address", "The Browser answered from another address than the one asked (a clustered instance answers from the node's address). Stateful firewalls drop such replies for ordinary clients: allow them, or connect by port.") \
  X(sqlbrowser_instance_not_found, "sqlbrowser.instance_not_found", "The Browser answers but does not know this instance: check the instance name.") \
  X(sqlbrowser_malformed, "sqlbrowser.malformed", "The answer on UDP 1434 is not a valid SQL Server Browser response.") \
  X(sqlbrowser_no_tcp_endpoint, "sqlbrowser.no_tcp_endpoint", "The instance has TCP/IP disabled: enable it in SQL Server Configuration Manager.") \
  X(sqlbrowser_port_mismatch, "sqlbrowser.port_mismatch", "The instance listens on a different TCP port than expected: a dynamic port changed after a restart. Pin a static port.") \
  X(sqlbrowser_instance_unreachable, "sqlbrowser.instance_unreachable", "The Browser answered, but the instance's TCP port is not reachable: open that port on the firewall (not only UDP 1434).") \
  X(sqlbrowser_version_mismatch, "sqlbrowser.version_mismatch", "The instance reports another version than the check expects (expect.version_prefix): an upgrade did not happen, or the name reaches another server.") \
  /* RPC endpoint mapper */ \
  X(epm_bind_rejected, "epm.bind_rejected", "The endpoint mapper rejected the bind.") \
  X(epm_fault, "epm.fault", "The endpoint mapper answered with a fault (see the status in the message).") \
  X(epm_not_registered, "epm.not_registered", "The interface is not registered with the endpoint mapper: the service that provides it is not running.") \
  X(epm_address_mismatch, "epm.address_mismatch", "The endpoint mapper named another address than the one asked (a server behind NAT or a load balancer). Clients will try that address.") \
  X(epm_malformed, "epm.malformed", "The answer on TCP 135 is not valid DCE/RPC.") \
  X(epm_dynamic_port_unreachable, "epm.dynamic_port_unreachable", "TCP 135 is open but the dynamic RPC port it named is not: open the RPC dynamic range (or the pinned port) on the firewall.") \
  X(epm_port_mismatch, "epm.port_mismatch", "The interface is mapped to another port than the check expects (expect.port or expect.port_range): the service was restarted onto a new dynamic port, or its pinned port was lost. Pin the port (registry or service configuration) or widen the firewall's RPC range to match.") \
  /* HTTP / EWS */ \
  X(http_status, "http.status", "The server answered with a status the check does not expect.") \
  X(http_auth_required, "http.auth_required", "The server requires authentication; configure credentials for the check.") \
  X(http_auth_failed, "http.auth_failed", "The server rejected the credentials.") \
  X(http_redirect_limit, "http.redirect_limit", "Too many redirects: a redirect loop, often between a load balancer and the server about http/https.") \
  X(http_redirect_other_host, "http.redirect_other_host", "A redirect sent the request to another host than the one the check names: what was judged after it (its TLS, its answer) is that host's. Check the URL the redirect names, or point the check at it; credentials are not sent there.") \
  X(http_body_mismatch, "http.body_mismatch", "The response body does not contain what the check expects.") \
  X(http_header_mismatch, "http.header_mismatch", "A response header does not match what the check expects.") \
  X(http_malformed, "http.malformed", "The answer is not valid HTTP.") \
  X(http_no_response, "http.no_response", "Connected, but the server sent no complete answer before the deadline, or closed the connection without one: an overloaded application pool, or a proxy holding the request.") \
  X(http_slow, "http.slow", "The answer came, but later than expect.max_ms: look at the phases to see where the time went (connect, tls, first_byte is the server thinking, transfer is the network).") \
  X(autodiscover_failed, "autodiscover.failed", "Every Autodiscover candidate URL failed; the evidence lists each with its own reason.") \
  X(autodiscover_no_ews_url, "autodiscover.no_ews_url", "Autodiscover answered without an EWS URL.") \
  X(ews_soap_fault, "ews.soap_fault", "EWS answered with a SOAP fault.") \
  X(ews_error_response, "ews.error_response", "EWS answered with an error response code.")
