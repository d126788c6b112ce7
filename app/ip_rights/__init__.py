"""The IP ledger: each firm's patents, copyrights and the like, their class and which application used them."""
