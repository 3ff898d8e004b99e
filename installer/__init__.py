"""Installer and upgrade tool for Digdir's integrasjonspunkt as a Windows service (WinSW)."""

__version__ = "0.1.0"
