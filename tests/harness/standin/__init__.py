"""The stand-in integrasjonspunkt: Java source and the builder of its jars."""
