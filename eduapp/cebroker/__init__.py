"""CE Broker rosters: the Florida completions a provider must report within 30 days, the
roster file CE Broker's Excel upload takes, and the record of what was reported."""
