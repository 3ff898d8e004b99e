"""Windows' own facilities behind small drivers (Task Scheduler, local users and their rights); each runs Windows'
tools by their System32 path or calls its DLLs through an injectable object, and is tested on Linux through the
harness's stand-ins or as the exact command line or calls it makes."""
