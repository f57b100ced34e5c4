// Owned by the lead; implemented after applyChanges lands.
export {};
