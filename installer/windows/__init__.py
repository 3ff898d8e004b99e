"""Windows' own facilities behind small drivers (Task Scheduler first); each runs Windows' tools by their System32
path and is tested on Linux through the harness's stand-ins or as the exact command line it makes."""
