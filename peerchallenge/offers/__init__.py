"""The offer contract: what an offer app declares (OfferConfig), the one registry type
(Registry), and the obligations from which the core derives what is due, for whom, by when
and who is told (obligations). See docs/architecture.md, "Adding an offer"."""
