# postfix-instance.sh: a Postfix of our own on loopback, for the end-to-end test and the bench
# (sourced by bash). Its configuration, queue and Maildir live in one folder; it listens on
# 127.0.0.1 only, delivers example.test to a Maildir through virtual(8), and bounces everything
# else (default_transport = error), so nothing leaves the machine. Needs root.

# free_ports N: N free TCP ports on 127.0.0.1, on one line.
free_ports() {
  /usr/bin/python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))' "$1"
}

# wait_port PORT [SECONDS]: something accepts connections on 127.0.0.1:PORT within SECONDS
# (default 10).
wait_port() {
  for _ in $(seq $(( ${2:-10} * 10 ))); do
    /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1)" \
      2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# postfix_write_config DIR SMTP_PORT MILTERS DEFAULT_ACTION: DIR/etc for `postfix -c DIR/etc`;
# mail for user@example.test lands in DIR/mail/user/new. MILTERS: smtpd_milters (may be empty).
postfix_write_config() {
  local dir=$1 port=$2 milters=$3 action=$4
  [ -n "$dir" ] && [ -n "$port" ] || return 1
  mkdir -p "$dir/etc" "$dir/spool" "$dir/data" "$dir/mail"
  chown nobody:nogroup "$dir/mail"
  chown postfix "$dir/data"
  printf '%s\n' \
    "compatibility_level = 3.6" \
    "queue_directory = $dir/spool" \
    "data_directory = $dir/data" \
    "meta_directory = /etc/postfix" \
    "mail_owner = postfix" \
    "setgid_group = postdrop" \
    "maillog_file = $dir/postfix.log" \
    "maillog_file_prefixes = $dir" \
    "myhostname = mx.example.test" \
    "mydomain = example.test" \
    "myorigin = example.test" \
    "mydestination =" \
    "inet_interfaces = loopback-only" \
    "inet_protocols = ipv4" \
    "mynetworks = 127.0.0.0/8" \
    "smtpd_recipient_restrictions = permit_mynetworks, reject" \
    "alias_maps =" \
    "alias_database =" \
    "local_recipient_maps =" \
    "default_transport = error:this instance delivers nothing off the machine" \
    "relay_transport = error:this instance delivers nothing off the machine" \
    "virtual_mailbox_domains = example.test" \
    "virtual_mailbox_base = $dir/mail" \
    "virtual_mailbox_maps = static:user/" \
    "virtual_uid_maps = static:$(id -u nobody)" \
    "virtual_gid_maps = static:$(getent group nogroup | cut -d: -f3)" \
    "virtual_minimum_uid = 1" \
    "smtpd_milters = $milters" \
    "milter_default_action = $action" >"$dir/etc/main.cf"
  printf '%s\n' \
    "127.0.0.1:$port inet n - n - - smtpd" \
    "pickup    unix  n - n 60 1 pickup" \
    "cleanup   unix  n - n - 0 cleanup" \
    "qmgr      unix  n - n 300 1 qmgr" \
    "rewrite   unix  - - n - - trivial-rewrite" \
    "bounce    unix  - - n - 0 bounce" \
    "defer     unix  - - n - 0 bounce" \
    "trace     unix  - - n - 0 bounce" \
    "verify    unix  - - n - 1 verify" \
    "flush     unix  n - n 1000? 0 flush" \
    "proxymap  unix  - - n - - proxymap" \
    "showq     unix  n - n - - showq" \
    "error     unix  - - n - - error" \
    "retry     unix  - - n - - error" \
    "discard   unix  - - n - - discard" \
    "virtual   unix  - n n - - virtual" \
    "anvil     unix  - - n - 1 anvil" \
    "scache    unix  - - n - 1 scache" \
    "postlog   unix-dgram n - n - 1 postlogd" >"$dir/etc/master.cf"
}

# postfix_stop DIR: stops the instance, and its master process if `postfix stop` could not.
postfix_stop() {
  local pid
  pid=$(cat "$1/spool/pid/master.pid" 2>/dev/null | tr -d ' ')
  postfix -c "$1/etc" stop >/dev/null 2>&1
  if [ -n "$pid" ]; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill "$pid" 2>/dev/null
  fi
  return 0
}
