package io.storecap.reports; final class Placeholder {}
